"""Pure transforms of govreport: text and tables in, tables out (no I/O, no Prefect)."""
