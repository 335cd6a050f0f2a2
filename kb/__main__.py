"""``python -m kb import|export|validate|new`` — the maintainer commands."""

import sys

from kb.cli import main

sys.exit(main())
