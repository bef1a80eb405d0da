"""``python -m ui`` runs Safe Signal."""

import sys

from ui.shell.app import main

sys.exit(main())
