# --json with several files prints a list, one object per file.
cut_at() { pcapframe packets --format csv --columns caplen --limit "$1" sample.pcap | awk 'NR > 1 { s += 16 + $1 } END { print s + 24 }'; }
head -c "$(cut_at 3)" sample.pcap > first3.pcap
head -c 24 sample.pcap > header_only.pcap
pcapframe info --json --utc first3.pcap header_only.pcap
