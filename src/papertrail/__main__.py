from papertrail.cli.entry import main

main()
