"""Great Expectations suites of the datasets, declared as data (`<dataset>.json`).

`suites.py` derives each suite from the dataset's contract plus the checks a schema cannot
say; `python -m expectations` writes the JSON files, and a test keeps them in step.
"""
