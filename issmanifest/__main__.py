from issmanifest.cli.app import main

main()
