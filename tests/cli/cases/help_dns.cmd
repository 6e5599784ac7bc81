pcapframe dns --help
