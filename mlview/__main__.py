from mlview.cli import main

raise SystemExit(main())
