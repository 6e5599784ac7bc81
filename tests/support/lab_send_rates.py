# SPDX-License-Identifier: MIT
"""The lab helper's send_rates, as published (row by row): the reference pcapframe's
vectorised send_rates is compared with, in tests/python and tests/parity."""
from __future__ import annotations

import numpy as np
import pandas as pd


def lab_send_rates(data: pd.DataFrame, window_len_sec: float):
    """The lab helper's loop, as published (row by row)."""
    data = data.sort_values(by=["time"])
    windows, times = [], []
    curr_time = data.iloc[0]["time"]
    end_time = curr_time + window_len_sec
    i = 0
    while curr_time < data.iloc[-1]["time"]:
        windows.append(0)
        times.append(curr_time)
        while i < len(data) and data.iloc[i]["time"] < end_time:
            windows[-1] += data.iloc[i]["length"]
            i += 1
        curr_time = end_time
        end_time = curr_time + window_len_sec
    return np.array(windows) / float(window_len_sec), np.array(times)
