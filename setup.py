"""Packaging for nexus: a tax-nexus and currency advisor for finance teams.

The reference tables live in the top-level ``data/`` folder, where reviewers
read them next to their sources. ``nexus/data`` is a symbolic link to it, so the
tables install as package data and are read with ``importlib.resources``.
"""
from setuptools import setup

setup(
    name="nexus-advisor",
    version="0.1.0",
    description="Tax-nexus and currency advisor for finance teams moving ecommerce providers",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=["nexus", "nexus.cli", "nexus.erp_items", "nexus.exports", "nexus.memo", "nexus.targets",
              "nexus.workbooks"],
    package_data={"nexus": ["py.typed", "data/*.json", "data/*.csv"], "nexus.memo": ["templates/*"]},
    install_requires=[
        "click>=8.2",
        "requests>=2.31",
        "openpyxl>=3.1",  # reads XLSX orders, presence and charts
        "XlsxWriter>=3.1",  # writes every workbook: formulas with their values, and the print set-up
        "py-moneyed>=3.0",
        "tabulate>=0.9",
        # Screen columns of double-byte text (東京 takes four): tabulate measures its tables with wcwidth where it
        # is installed, and nexus's own cuts and fits with the same function, so a Japanese row lines up.
        "wcwidth>=0.2.6",
        "platformdirs>=3",
        "defusedxml>=0.7",
        "charset-normalizer>=3",
        # The memo (nexus check --html) is rendered from templates with autoescaping, not built from strings.
        "Jinja2>=3.1",
        # Provider profiles are written by hand and need comments, which JSON cannot hold (docs/provider.md).
        "PyYAML>=6",
        # DuckDB reads Parquet and aggregates order files from about 20,000 rows, and daily aggregates: every
        # install is fast (issue 15). Where it has no wheel, 'import duckdb' fails and nexus reads CSV orders with
        # its own reader, saying so once (docs/scale.md).
        "duckdb>=1.1",
        # sqlglot renders 'nexus sql' for each engine (pure Python).
        "sqlglot>=25",
    ],
    extras_require={
        # Empty: DuckDB and sqlglot are installed with nexus; kept so that "pip install 'nexus-advisor[fast]'",
        # as older instructions say, still installs.
        "fast": [],
        "test": [
            "pytest>=8",
            # The suite's files run side by side on every core (pytest --slow -n auto --dist loadfile): on two
            # cores about 117 s on a quiet machine (199 to 228 s while other work shared the cores).
            "pytest-xdist>=3",
            "pytest-httpserver>=1.0",
            "hypothesis>=6",
            "pyspark>=3.5",
            # Real ledgers the tests import into: beancount's own loader checks the beancount target's output,
            # piecash (on SQLAlchemy 1.4) writes and reads back the GnuCash book of the gnucash target.
            "beancount>=3",
            "piecash>=1.2",
            # The memo's render tests drive headless Chromium over the DevTools protocol (a local websocket).
            "websockets>=15",
        ],
    },
    entry_points={"console_scripts": ["nexus = nexus.cli:cli"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: Office/Business :: Financial :: Accounting",
    ],
)
