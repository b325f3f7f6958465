"""dangvu: management of a Vietnamese Communist Party committee's organisational work."""
