from crossfoot.cli import run

run()
