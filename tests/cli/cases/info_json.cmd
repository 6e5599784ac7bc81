pcapframe info --json --utc sample.pcap
