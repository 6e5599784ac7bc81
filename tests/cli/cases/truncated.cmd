# A copy of the sample cut inside a record: a warning naming the record and offset, exit 0.
head -c 100000 sample.pcap > truncated.pcap
pcapframe info --utc truncated.pcap
