pcapframe names --help
