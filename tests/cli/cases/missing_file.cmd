pcapframe info --utc missing.pcap
