"""Every write to members, memberships, join requests, documents and consents. One module per area:

- membership: admitting a person (shared by approval and in-person confirmation), audit of personal-data views;
- joining: the public join form, the confirmation e-mail, duplicate handling, purging old requests;
- portal: the member's own data and choices, leaving, download and erasure;
- management: what coordinators and mandated officers do (decide requests, add in person, suspend, export);
- documents: publishing versions of the privacy notice and internal rules.
"""
