"""The portal kernel every app plugs into.

- ``activity``: the activity log's writer (``activity_record``) and the registry of action labels;
  the model is ``models.Activity`` (table ``accounts_activity``);
- ``navigation``: main-menu and footer links registered by the apps;
- ``dashboard``: the dashboard's panels, registered by the apps and cached per customer;
- ``demo``: the demo-data hooks ``seed_demo`` runs;
- ``roles``: the staff roles and the helper their migrations grant permissions with;
- ``client``: the client's IP address behind trusted proxies;
- ``tasks``: sending the mail every app renders.

Layer: above ``privacy``, below every feature app (``accounts`` included). It imports ``privacy``
and ``netrex``'s infrastructure modules only.
"""
