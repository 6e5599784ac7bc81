pcapframe flows --help
