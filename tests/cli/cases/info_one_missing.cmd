# A missing file among good ones: the others are still reported, and the exit code is 2.
cut_at() { pcapframe packets --format csv --columns caplen --limit "$1" sample.pcap | awk 'NR > 1 { s += 16 + $1 } END { print s + 24 }'; }
head -c "$(cut_at 4)" sample.pcap > first4.pcap
pcapframe info --utc missing.pcap first4.pcap
