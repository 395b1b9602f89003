"""Allow ``python -m pipeline``."""

from pipeline.cli import main

if __name__ == "__main__":  # worker processes re-import this module: run only once
    raise SystemExit(main())
