from bscgen.cli import main

main()
