"""``python -m ui`` runs Safe Signal."""

import sys

from ui.app import main

sys.exit(main())
