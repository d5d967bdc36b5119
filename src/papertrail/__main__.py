from papertrail.cli import main

main()
