"""noticewatch application: config, extraction, change detection, alerts, CLI."""
