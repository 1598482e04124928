"""The app's screens: home, review session, end-of-session summary."""
