"""Pure analysis: functions from a StoreView to rows and findings. No Textual imports."""
