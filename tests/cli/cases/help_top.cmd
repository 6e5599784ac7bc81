pcapframe top --help
