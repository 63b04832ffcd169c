"""`python -m expectations`: rewrite the suites' JSON from the contracts."""

from expectations.suites import write_suites

for path in write_suites():
    print(path)  # noqa: T201 (a command's output)
