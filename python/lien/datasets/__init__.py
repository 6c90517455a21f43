"""Public datasets mapped onto lien's cohort model (``lien.datasets.oulad``)."""
