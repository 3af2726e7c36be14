import xml.sax
from xml.sax.handler import feature_external_ges

from lxml import etree

# ruleid: CG-CORE018
parser = etree.XMLParser(resolve_entities=True)
# ruleid: CG-CORE018
networked = etree.XMLParser(no_network=False)
sax = xml.sax.make_parser()
# ruleid: CG-CORE018
sax.setFeature(feature_external_ges, True)

# ok: CG-CORE018
safe = etree.XMLParser(resolve_entities=False, no_network=True)
# ok: CG-CORE018
sax.setFeature(feature_external_ges, False)
# ok: CG-CORE018
plain = etree.XMLParser(remove_blank_text=True)
