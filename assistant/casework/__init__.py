"""Referrals after submission: the lifecycle machine (lifecycle.py) and its steps (decisions.py), the
intake queue (queue.py), and the services the pages call, one per role: caseworkers.py, panel.py and
first_responders.py, over records.py (reading a referral, and taking a step on it by reference)."""
