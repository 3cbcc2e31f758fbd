"""Page text shown in a terminal: no bidi overrides, no escape codes, no rich markup."""

from rich.console import Console

from monitor.plain_text import cell, plain


def test_hidden_characters_go_and_line_breaks_stay():
    assert (
        plain("通知\u202egpj.exe\x1b[31m\u2066x\u2069\n第二行\t!") == "通知gpj.exe[31mx\n第二行\t!"
    )


def test_a_table_cell_is_never_read_as_markup():
    console = Console(record=True, width=200, color_system=None)
    console.print(cell("[bold red]关于[link=http://evil.example]点我[/link]的通知[/]"))
    shown = console.export_text()
    assert "[bold red]关于[link=http://evil.example]点我[/link]的通知[/]" in shown
