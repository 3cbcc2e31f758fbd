"""What most commands need: the config and a database session factory."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Config, load_config
from storage.db import open_database


def config_of(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def sessions_of(args: argparse.Namespace) -> sessionmaker[Session]:
    return open_database(config_of(args).storage_url)
