"""The end-to-end demo: a year of a locality's pooled-budget governance in simulated time."""
