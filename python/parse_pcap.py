# SPDX-License-Identifier: MIT
"""The networking lab's ``parse_pcap`` module, provided by pcapframe.

``from parse_pcap import pcap_to_pandas, send_rates`` keeps working in notebooks written
for the lab's scapy helper, now on pcapframe's engine. See ``pcapframe.parse_pcap``.
"""

from pcapframe.parse_pcap import (  # noqa: F401
    __all__,
    load_parsed_pcap,
    main,
    parse_and_save_pcap,
    pcap_to_dict,
    pcap_to_pandas,
    send_rates,
)

if __name__ == "__main__":
    import sys

    sys.exit(main())
