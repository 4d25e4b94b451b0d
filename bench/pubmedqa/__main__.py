"""`python -m bench.pubmedqa`: the benchmark's command (see `run`)."""

import sys

from bench.pubmedqa.run import main

if __name__ == "__main__":
    sys.exit(main())
