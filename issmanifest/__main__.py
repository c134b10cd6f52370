from issmanifest.cli.commands import main

main()
