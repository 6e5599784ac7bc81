head -c 100000 sample.pcap > truncated.pcap
pcapframe info --strict --utc truncated.pcap
