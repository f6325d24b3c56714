import sys
from pathlib import Path

# Tests import the package from the checkout they live in, whatever the current directory is.
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
