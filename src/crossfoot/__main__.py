import sys

from crossfoot.cli import main

sys.exit(main())
