"""The members' pages: my meetings, my packs, declaring an interest, my actions and a personal
calendar link (docs/web.md, "Members")."""
