"""`python -m bench`: run every benchmark module in bench/ (each prints its own ratios)."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    quick = "--quick" in sys.argv
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module.startswith("bench_"):
            print(f"== {module}", flush=True)
            importlib.import_module(f"bench.{module}").main(quick=quick)


if __name__ == "__main__":
    main()
