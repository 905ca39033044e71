"""Rules that decide whether a call or a run is fit to train on."""
