from netapp.cli import main

raise SystemExit(main())
