"""crossfoot: ties the figures of a public-finance report's narrative to its tables and checks them."""

__version__ = "0.1.0"
