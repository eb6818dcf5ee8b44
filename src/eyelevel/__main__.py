from eyelevel.cli import main

main()
