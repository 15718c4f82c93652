"""Fail unless the JUnit report shows browser tests that ran and passed (none skipped)."""

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> int:
    cases = ET.parse(path).getroot().iter("testcase")
    browser = [c for c in cases if ".browser." in c.get("classname", "")]
    skipped = [c for c in browser if c.find("skipped") is not None]
    broken = [c for c in browser if c.find("failure") is not None or c.find("error") is not None]
    print(f"{path}: {len(browser)} browser tests, {len(skipped)} skipped, {len(broken)} failed")
    if not browser or skipped or broken:
        print("The browser tests must run and pass.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
