pcapframe info --help
