"""Full screens: the calls list with facets, and the run view."""
