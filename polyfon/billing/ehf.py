"""EHF: invoices and credit notes as UBL 2.1 per PEPPOL BIS Billing 3.0 with the Norwegian rules.

`document_xml` builds the UBL document with lxml and checks it against the rules below before
anything is written or sent; a fatal violation raises EhfRuleError naming the rule. The rules
are the published ones (EN 16931 BR-*, PEPPOL-EN16931-*, PEPPOL-COMMON-*, NO-R-*), checked on
the XML that is actually produced, each as one function with its identifier and text. The
Schematron files of OpenPEPPOL remain the authority; these are the rules that matter for the
documents this app issues (totals, VAT, organisation numbers, the MVA number, the buyer
reference, payment information).
"""

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext, pgettext
from lxml import etree

from .models import CreditNote, Invoice, VatCategory

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {"cbc": CBC, "cac": CAC, "inv": INVOICE_NS, "cn": CREDIT_NOTE_NS}

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
APPROVED_PROFILES = {PROFILE_ID}
ORG_SCHEME = "0192"  # Norwegian organisation number (Enhetsregisteret)
INVOICE_TYPE = "380"  # commercial invoice
CREDIT_NOTE_TYPE = "381"  # credit note
PAYMENT_MEANS_CREDIT_TRANSFER = "30"
UNIT = "C62"  # one (unit)
# Invoice and credit note type codes allowed in the billing profile (PEPPOL-EN16931-P0100/P0101).
INVOICE_TYPES = set("71 80 81 82 84 102 218 219 326 331 380 382 383 386 388 393 395 553 575 623 780 817 870 875 876 877".split())
CREDIT_NOTE_TYPES = {"381", "396", "81", "83", "532"}


class EhfRuleError(Exception):
    """The document breaks one or more fatal EHF rules; nothing was written."""

    def __init__(self, violations):
        self.violations = violations
        super().__init__("; ".join(f"[{v.rule}] {v.text}" for v in violations))


# --- Building -----------------------------------------------------------------------------------------------------


def _sub(parent, tag: str, text=None, **attributes):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", {k.replace("_", ""): v for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _amount(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _percent(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _party(parent, *, name, org_number, street, postal_code, city, vat_number="", business_register=False,
           contact_name="", phone="", email=""):
    party = _sub(parent, "cac:Party")
    _sub(party, "cbc:EndpointID", org_number, schemeID=ORG_SCHEME)
    _sub(_sub(party, "cac:PartyIdentification"), "cbc:ID", org_number, schemeID=ORG_SCHEME)
    _sub(_sub(party, "cac:PartyName"), "cbc:Name", name)
    address = _sub(party, "cac:PostalAddress")
    if street:
        _sub(address, "cbc:StreetName", street)
    if city:
        _sub(address, "cbc:CityName", city)
    if postal_code:
        _sub(address, "cbc:PostalZone", postal_code)
    _sub(_sub(address, "cac:Country"), "cbc:IdentificationCode", "NO")
    if vat_number:
        scheme = _sub(party, "cac:PartyTaxScheme")
        _sub(scheme, "cbc:CompanyID", vat_number)
        _sub(_sub(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    if business_register:
        scheme = _sub(party, "cac:PartyTaxScheme")
        _sub(scheme, "cbc:CompanyID", "Foretaksregisteret")
        _sub(_sub(scheme, "cac:TaxScheme"), "cbc:ID", "TAX")
    legal = _sub(party, "cac:PartyLegalEntity")
    _sub(legal, "cbc:RegistrationName", name)
    _sub(legal, "cbc:CompanyID", org_number, schemeID=ORG_SCHEME)
    if contact_name or phone or email:
        contact = _sub(party, "cac:Contact")
        if contact_name:
            _sub(contact, "cbc:Name", contact_name)
        if phone:
            _sub(contact, "cbc:Telephone", phone)
        if email:
            _sub(contact, "cbc:ElectronicMail", email)
    return party


def _tax_category(parent, tag: str, document) -> None:
    category = _sub(parent, tag)
    _sub(category, "cbc:ID", document.vat_category)
    if document.vat_category != VatCategory.NOT_SUBJECT:  # BR-O-05: no rate when not subject to VAT
        _sub(category, "cbc:Percent", _percent(document.vat_rate))
    if tag == "cac:TaxCategory" and document.vat_category != VatCategory.STANDARD and document.vat_exemption_reason:
        _sub(category, "cbc:TaxExemptionReason", document.vat_exemption_reason)
    _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def build(document: Invoice | CreditNote, *, pdf: bytes | None = None) -> etree._Element:
    """The UBL tree of an issued invoice or credit note, in the element order of UBL 2.1."""
    is_invoice = isinstance(document, Invoice)
    root = etree.Element(f"{{{INVOICE_NS if is_invoice else CREDIT_NOTE_NS}}}{'Invoice' if is_invoice else 'CreditNote'}",
                         nsmap={None: INVOICE_NS if is_invoice else CREDIT_NOTE_NS, "cac": CAC, "cbc": CBC})
    lines = list(document.lines.all())
    with translation.override("nb"):
        _sub(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
        _sub(root, "cbc:ProfileID", PROFILE_ID)
        _sub(root, "cbc:ID", document.display_number)
        _sub(root, "cbc:IssueDate", document.issue_date.isoformat())
        if is_invoice:
            _sub(root, "cbc:DueDate", document.due_date.isoformat())
            _sub(root, "cbc:InvoiceTypeCode", INVOICE_TYPE)
        else:
            _sub(root, "cbc:CreditNoteTypeCode", CREDIT_NOTE_TYPE)
        note = document.note if is_invoice else document.reason
        if note:
            _sub(root, "cbc:Note", note)
        _sub(root, "cbc:DocumentCurrencyCode", document.currency)
        if document.buyer_reference:
            _sub(root, "cbc:BuyerReference", document.buyer_reference)
        starts = [line.period_start for line in lines if line.period_start]
        ends = [line.period_end for line in lines if line.period_end]
        if starts or ends:
            period = _sub(root, "cac:InvoicePeriod")
            if starts:
                _sub(period, "cbc:StartDate", min(starts).isoformat())
            if ends:
                _sub(period, "cbc:EndDate", max(ends).isoformat())
        preceding = document.invoice if not is_invoice else document.corrects
        if preceding is not None:
            reference = _sub(_sub(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
            _sub(reference, "cbc:ID", preceding.display_number)
            _sub(reference, "cbc:IssueDate", preceding.issue_date.isoformat())
        if pdf:
            attachment_reference = _sub(root, "cac:AdditionalDocumentReference")
            _sub(attachment_reference, "cbc:ID", document.display_number)
            _sub(attachment_reference, "cbc:DocumentDescription",
                 pgettext("document", "Invoice") if is_invoice else gettext("Credit note"))
            _sub(
                _sub(attachment_reference, "cac:Attachment"),
                "cbc:EmbeddedDocumentBinaryObject",
                base64.b64encode(pdf).decode("ascii"),
                mimeCode="application/pdf",
                filename=filename(document, extension="pdf"),
            )
        _party(
            _sub(root, "cac:AccountingSupplierParty"),
            name=document.supplier_name,
            org_number=document.supplier_org_number,
            street=document.supplier_address,
            postal_code=document.supplier_postal_code,
            city=document.supplier_postal_place,
            # BR-O-02: a document not subject to VAT carries no seller VAT identifier.
            vat_number=document.supplier_vat_number if document.vat_category != VatCategory.NOT_SUBJECT else "",
            business_register=document.supplier_in_business_register,
            contact_name=document.supplier_contact,
            phone=document.supplier_phone,
            email=document.supplier_email,
        )
        _party(
            _sub(root, "cac:AccountingCustomerParty"),
            name=document.buyer_name,
            org_number=document.buyer_org_number,
            street=document.buyer_address,
            postal_code=document.buyer_postal_code,
            city=document.buyer_postal_place,
            email=document.buyer_email,
        )
        if is_invoice:
            means = _sub(root, "cac:PaymentMeans")
            _sub(means, "cbc:PaymentMeansCode", PAYMENT_MEANS_CREDIT_TRANSFER, name="Credit transfer")
            _sub(means, "cbc:PaymentID", document.kid)
            _sub(_sub(means, "cac:PayeeFinancialAccount"), "cbc:ID", document.supplier_bank_account)
            terms = gettext("Pay by %(date)s to account %(account)s with KID %(kid)s.") % {
                "date": document.due_date.strftime("%d.%m.%Y"),
                "account": document.supplier_bank_account,
                "kid": document.kid,
            }
        else:
            terms = gettext("The amount is set off against invoice %(number)s, or paid back if it is already paid.") % {
                "number": document.invoice.display_number
            }
        _sub(_sub(root, "cac:PaymentTerms"), "cbc:Note", terms)
        tax_total = _sub(root, "cac:TaxTotal")
        _sub(tax_total, "cbc:TaxAmount", _amount(document.vat_amount), currencyID=document.currency)
        subtotal = _sub(tax_total, "cac:TaxSubtotal")
        _sub(subtotal, "cbc:TaxableAmount", _amount(document.net_amount), currencyID=document.currency)
        _sub(subtotal, "cbc:TaxAmount", _amount(document.vat_amount), currencyID=document.currency)
        _tax_category(subtotal, "cac:TaxCategory", document)
        totals = _sub(root, "cac:LegalMonetaryTotal")
        _sub(totals, "cbc:LineExtensionAmount", _amount(sum((line.net_amount for line in lines), Decimal("0"))),
             currencyID=document.currency)
        _sub(totals, "cbc:TaxExclusiveAmount", _amount(document.net_amount), currencyID=document.currency)
        _sub(totals, "cbc:TaxInclusiveAmount", _amount(document.total_amount), currencyID=document.currency)
        _sub(totals, "cbc:PayableAmount", _amount(document.total_amount), currencyID=document.currency)
        for line in lines:
            element = _sub(root, "cac:InvoiceLine" if is_invoice else "cac:CreditNoteLine")
            _sub(element, "cbc:ID", line.position)
            _sub(element, "cbc:InvoicedQuantity" if is_invoice else "cbc:CreditedQuantity", _quantity(line.quantity),
                 unitCode=UNIT)
            _sub(element, "cbc:LineExtensionAmount", _amount(line.net_amount), currencyID=document.currency)
            if line.period_start or line.period_end:
                period = _sub(element, "cac:InvoicePeriod")
                if line.period_start:
                    _sub(period, "cbc:StartDate", line.period_start.isoformat())
                if line.period_end:
                    _sub(period, "cbc:EndDate", line.period_end.isoformat())
            item = _sub(element, "cac:Item")
            _sub(item, "cbc:Name", line.description)
            _tax_category(item, "cac:ClassifiedTaxCategory", document)
            _sub(_sub(element, "cac:Price"), "cbc:PriceAmount", _amount(line.unit_price), currencyID=document.currency)
    return root


def _quantity(value: Decimal) -> str:
    value = Decimal(value)
    return str(value.quantize(Decimal("1")) if value == value.to_integral_value() else value.normalize())


def filename(document: Invoice | CreditNote, *, extension: str = "xml") -> str:
    kind = "faktura" if isinstance(document, Invoice) else "kreditnota"
    return f"{kind}-{document.display_number}.{extension}"


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def document_xml(document: Invoice | CreditNote, *, pdf: bytes | None = None) -> bytes:
    """The EHF file of a document, after checking the rules; EhfRuleError if a fatal one fails."""
    root = build(document, pdf=pdf)
    fatal = [v for v in check(root) if v.fatal]
    if fatal:
        raise EhfRuleError(fatal)
    return serialize(root)


# --- The rules --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    fatal: bool
    test: Callable


@dataclass(frozen=True)
class Violation:
    rule: str
    text: str
    fatal: bool = True


RULES: list[Rule] = []


def rule(rule_id: str, text: str, *, fatal: bool = True):
    def register(test):
        RULES.append(Rule(rule_id, text, fatal, test))
        return test

    return register


class Doc:
    """Small XPath helpers over a UBL Invoice or CreditNote."""

    def __init__(self, root):
        self.root = root
        self.is_credit_note = etree.QName(root).localname == "CreditNote"

    def all(self, path: str, node=None) -> list:
        return (self.root if node is None else node).xpath(path, namespaces=NS)

    def text(self, path: str, node=None) -> str | None:
        found = self.all(path, node)
        if not found:
            return None
        value = found[0] if isinstance(found[0], str) else found[0].text
        return value.strip() if value is not None and value.strip() else None

    def dec(self, path: str, node=None) -> Decimal | None:
        value = self.text(path, node)
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            return None

    @property
    def lines(self) -> list:
        return self.all("cac:CreditNoteLine" if self.is_credit_note else "cac:InvoiceLine")

    @property
    def quantity_tag(self) -> str:
        return "cbc:CreditedQuantity" if self.is_credit_note else "cbc:InvoicedQuantity"

    def line_sum(self) -> Decimal:
        return sum((self.dec("cbc:LineExtensionAmount", line) or Decimal("0") for line in self.lines), Decimal("0"))

    def categories(self) -> list[str]:
        return [c.text for c in self.all("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")]

    def line_categories(self) -> list[str]:
        return [self.text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) for line in self.lines]

    def has_category(self, code: str) -> bool:
        return code in self.line_categories() or code in self.categories()

    def subtotals(self, code: str) -> list:
        return [s for s in self.all("cac:TaxTotal/cac:TaxSubtotal") if self.text("cac:TaxCategory/cbc:ID", s) == code]

    def seller_vat_ids(self) -> list[str]:
        return [
            (c.text or "").strip()
            for c in self.all("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)"
                              "='VAT']/cbc:CompanyID")
        ]


def _mod11(value: str) -> bool:
    """The Schematron's u:mod11 (weights 2..7 from the right), as PEPPOL-COMMON-R041 uses it."""
    digits = [int(c) for c in reversed(value[:-1])]
    weighted = sum(d * ((i % 6) + 2) for i, d in enumerate(digits))
    return int(value) > 0 and (11 - weighted % 11) % 11 == int(value[-1])


def _equal(a: Decimal | None, b: Decimal | None, slack: Decimal = Decimal("0")) -> bool:
    """True when a and b agree (or one is missing: the presence rules report that)."""
    return a is None or b is None or abs(a - b) <= slack


# Document level ---------------------------------------------------------------------------------------------------

rule("BR-01", "An Invoice shall have a Specification identifier (BT-24).")(lambda d: d.text("cbc:CustomizationID") is not None)
rule("BR-02", "An Invoice shall have an Invoice number (BT-1).")(lambda d: d.text("cbc:ID") is not None)
rule("BR-03", "An Invoice shall have an Invoice issue date (BT-2).")(lambda d: d.text("cbc:IssueDate") is not None)
rule("BR-04", "An Invoice shall have an Invoice type code (BT-3).")(
    lambda d: d.text("cbc:CreditNoteTypeCode" if d.is_credit_note else "cbc:InvoiceTypeCode") is not None
)
rule("BR-05", "An Invoice shall have an Invoice currency code (BT-5).")(lambda d: d.text("cbc:DocumentCurrencyCode") is not None)
rule("PEPPOL-EN16931-R001", "Business process MUST be provided.")(lambda d: d.text("cbc:ProfileID") is not None)
rule("PEPPOL-EN16931-R007", "Business process MUST have an approved identifier.")(
    lambda d: d.text("cbc:ProfileID") in APPROVED_PROFILES
)
rule(
    "PEPPOL-EN16931-R004",
    "Specification identifier MUST begin with the value "
    "'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0' and follow the format rules for the "
    "identifier.",
)(lambda d: (d.text("cbc:CustomizationID") or "").startswith(CUSTOMIZATION_ID) and "::" not in (d.text("cbc:CustomizationID") or ""))
rule("PEPPOL-EN16931-P0100", "Invoice type code MUST be set according to the profile.")(
    lambda d: d.is_credit_note or d.text("cbc:InvoiceTypeCode") in INVOICE_TYPES
)
rule("PEPPOL-EN16931-P0101", "Credit note type code MUST be set according to the profile.")(
    lambda d: not d.is_credit_note or d.text("cbc:CreditNoteTypeCode") in CREDIT_NOTE_TYPES
)
rule(
    "PEPPOL-EN16931-R002",
    "No more than one note is allowed on document level, unless both the buyer and seller are German organizations.",
)(lambda d: len(d.all("cbc:Note")) <= 1)
rule("PEPPOL-EN16931-R003", "A buyer reference or purchase order reference MUST be provided.")(
    lambda d: d.text("cbc:BuyerReference") is not None or d.text("cac:OrderReference/cbc:ID") is not None
)
rule("PEPPOL-EN16931-R008", "Document MUST not contain empty elements.")(
    lambda d: not d.all("//*[not(*) and not(normalize-space())]")
)
rule(
    "PEPPOL-EN16931-R051",
    "All currencyID attributes must have the same value as the invoice currency code (BT-5), except for the invoice "
    "total VAT amount in accounting currency (BT-111).",
)(lambda d: all(value == d.text("cbc:DocumentCurrencyCode") for value in d.all("//@currencyID")))
rule("PEPPOL-EN16931-R053", "Only one tax total with tax subtotals MUST be provided.")(
    lambda d: len(d.all("cac:TaxTotal[cac:TaxSubtotal]")) == 1
)
rule("BR-16", "An Invoice shall have at least one Invoice line (BG-25).")(lambda d: len(d.lines) >= 1)
rule("BR-55", "Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).")(
    lambda d: all(d.text("cbc:ID", ref) is not None for ref in d.all("cac:BillingReference/cac:InvoiceDocumentReference"))
)

# Parties ------------------------------------------------------------------------------------------------------------

SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"

rule("BR-06", "An Invoice shall contain the Seller name (BT-27).")(
    lambda d: d.text(f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName") is not None
)
rule("BR-07", "An Invoice shall contain the Buyer name (BT-44).")(
    lambda d: d.text(f"{BUYER}/cac:PartyLegalEntity/cbc:RegistrationName") is not None
)
rule("BR-08", "An Invoice shall contain the Seller postal address (BG-5).")(lambda d: bool(d.all(f"{SELLER}/cac:PostalAddress")))
rule("BR-09", "The Seller postal address (BG-5) shall contain a Seller country code (BT-40).")(
    lambda d: d.text(f"{SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") is not None
)
rule("BR-10", "An Invoice shall contain the Buyer postal address (BG-8).")(lambda d: bool(d.all(f"{BUYER}/cac:PostalAddress")))
rule("BR-11", "The Buyer postal address shall contain a Buyer country code (BT-55).")(
    lambda d: d.text(f"{BUYER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") is not None
)
rule("PEPPOL-EN16931-R010", "Buyer electronic address MUST be provided")(lambda d: d.text(f"{BUYER}/cbc:EndpointID") is not None)
rule("PEPPOL-EN16931-R020", "Seller electronic address MUST be provided")(lambda d: d.text(f"{SELLER}/cbc:EndpointID") is not None)
rule("BR-62", "The Seller electronic address (BT-34) shall have a Scheme identifier.")(
    lambda d: all(e.get("schemeID") for e in d.all(f"{SELLER}/cbc:EndpointID"))
)
rule("BR-63", "The Buyer electronic address (BT-49) shall have a Scheme identifier.")(
    lambda d: all(e.get("schemeID") for e in d.all(f"{BUYER}/cbc:EndpointID"))
)
rule("PEPPOL-COMMON-R041", "Norwegian organization number MUST be stated in the correct format.")(
    lambda d: all(
        re.fullmatch(r"[0-9]{9}", (e.text or "").strip()) and _mod11((e.text or "").strip())
        for e in d.all(
            "//cbc:EndpointID[@schemeID='0192'] | //cac:PartyIdentification/cbc:ID[@schemeID='0192'] | "
            "//cbc:CompanyID[@schemeID='0192']"
        )
    )
)
rule(
    "BR-CO-26",
    "In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal "
    "registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.",
)(
    lambda d: any(
        d.text(path) is not None
        for path in (f"{SELLER}/cac:PartyIdentification/cbc:ID", f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID")
    )
    or bool(d.seller_vat_ids())
)
rule(
    "BR-CO-09",
    "The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT "
    "identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of "
    "issue may be identified. Nevertheless, Greece may use the prefix 'EL'.",
)(
    lambda d: all(
        re.match(r"^[A-Z]{2}", (c.text or "").strip())
        for c in d.all("//cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID")
    )
)


def _supplier_is_norwegian(d: Doc) -> bool:
    vat = d.seller_vat_ids()
    if vat and vat[0][:2].upper():
        return vat[0][:2].upper() == "NO"
    return d.text(f"{SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "NO"


rule(
    "NO-R-001",
    "For Norwegian suppliers, a VAT number MUST be the country code prefix NO followed by a valid Norwegian "
    "organization number (nine numbers) followed by the letters MVA.",
)(
    lambda d: not _supplier_is_norwegian(d)
    or all(
        not vat.startswith("NO") or (re.fullmatch(r"NO[0-9]{9}MVA", vat) and _mod11(vat[2:11]))
        for vat in d.seller_vat_ids()
    )
)
rule(
    "NO-R-002",
    "For Norwegian suppliers, most invoice issuers are required to append \"Foretaksregisteret\" to their invoice. "
    "\"Dersom selger er aksjeselskap, allmennaksjeselskap eller filial av utenlandsk selskap skal også ordet "
    "«Foretaksregisteret» fremgå av salgsdokumentet, jf. foretaksregisterloven § 10-2.\"",
    fatal=False,
)(
    lambda d: not _supplier_is_norwegian(d)
    or d.text(f"{SELLER}/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='TAX']/cbc:CompanyID") == "Foretaksregisteret"
)

# Lines ----------------------------------------------------------------------------------------------------------------

rule("BR-21", "Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).")(
    lambda d: all(d.text("cbc:ID", line) is not None for line in d.lines)
)
rule("BR-22", "Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).")(
    lambda d: all(d.text(d.quantity_tag, line) is not None for line in d.lines)
)
rule("BR-23", "An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).")(
    lambda d: all(all(q.get("unitCode") for q in d.all(d.quantity_tag, line)) for line in d.lines)
)
rule("BR-24", "Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).")(
    lambda d: all(d.text("cbc:LineExtensionAmount", line) is not None for line in d.lines)
)
rule("BR-25", "Each Invoice line (BG-25) shall contain the Item name (BT-153).")(
    lambda d: all(d.text("cac:Item/cbc:Name", line) is not None for line in d.lines)
)
rule("BR-26", "Each Invoice line (BG-25) shall contain the Item net price (BT-146).")(
    lambda d: all(d.text("cac:Price/cbc:PriceAmount", line) is not None for line in d.lines)
)
rule("BR-27", "The Item net price (BT-146) shall NOT be negative.")(
    lambda d: all((d.dec("cac:Price/cbc:PriceAmount", line) or 0) >= 0 for line in d.lines)
)
rule("BR-CO-04", "Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).")(
    lambda d: all(category is not None for category in d.line_categories())
)
rule(
    "PEPPOL-EN16931-R120",
    "Invoice line net amount MUST equal (Invoiced quantity * (Item net price/item price base quantity) + Sum of invoice "
    "line charge amount - sum of invoice line allowance amount",
)(
    lambda d: all(
        _equal(
            d.dec("cbc:LineExtensionAmount", line),
            (d.dec(d.quantity_tag, line) or Decimal("1")) * (d.dec("cac:Price/cbc:PriceAmount", line) or Decimal("0"))
            / (d.dec("cac:Price/cbc:BaseQuantity", line) or Decimal("1")),
            Decimal("0.02"),
        )
        for line in d.lines
    )
)

# Totals ------------------------------------------------------------------------------------------------------------

TOTALS = "cac:LegalMonetaryTotal"

rule("BR-12", "An Invoice shall have the Sum of Invoice line net amount (BT-106).")(
    lambda d: d.text(f"{TOTALS}/cbc:LineExtensionAmount") is not None
)
rule("BR-13", "An Invoice shall have the Invoice total amount without VAT (BT-109).")(
    lambda d: d.text(f"{TOTALS}/cbc:TaxExclusiveAmount") is not None
)
rule("BR-14", "An Invoice shall have the Invoice total amount with VAT (BT-112).")(
    lambda d: d.text(f"{TOTALS}/cbc:TaxInclusiveAmount") is not None
)
rule("BR-15", "An Invoice shall have the Amount due for payment (BT-115).")(lambda d: d.text(f"{TOTALS}/cbc:PayableAmount") is not None)
rule("BR-CO-10", "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).")(
    lambda d: _equal(d.dec(f"{TOTALS}/cbc:LineExtensionAmount"), d.line_sum())
)
rule(
    "BR-CO-13",
    "Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document "
    "level (BT-107) + Sum of charges on document level (BT-108).",
)(
    lambda d: _equal(
        d.dec(f"{TOTALS}/cbc:TaxExclusiveAmount"),
        d.line_sum() - (d.dec(f"{TOTALS}/cbc:AllowanceTotalAmount") or 0) + (d.dec(f"{TOTALS}/cbc:ChargeTotalAmount") or 0),
    )
)
rule("BR-CO-14", "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).")(
    lambda d: _equal(
        d.dec("cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount"),
        sum((d.dec("cbc:TaxAmount", s) or Decimal("0") for s in d.all("cac:TaxTotal/cac:TaxSubtotal")), Decimal("0")),
    )
)
rule(
    "BR-CO-15",
    "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).",
)(
    lambda d: _equal(
        d.dec(f"{TOTALS}/cbc:TaxInclusiveAmount"),
        (d.dec(f"{TOTALS}/cbc:TaxExclusiveAmount") or Decimal("0")) + (d.dec("cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount") or Decimal("0")),
    )
)
rule(
    "BR-CO-16",
    "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).",
)(
    lambda d: _equal(
        d.dec(f"{TOTALS}/cbc:PayableAmount"),
        (d.dec(f"{TOTALS}/cbc:TaxInclusiveAmount") or Decimal("0"))
        - (d.dec(f"{TOTALS}/cbc:PrepaidAmount") or Decimal("0"))
        + (d.dec(f"{TOTALS}/cbc:PayableRoundingAmount") or Decimal("0")),
    )
)
rule(
    "BR-CO-17",
    "VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), "
    "rounded to two decimals.",
)(
    lambda d: all(
        _equal(
            d.dec("cbc:TaxAmount", s),
            ((d.dec("cbc:TaxableAmount", s) or Decimal("0")) * (d.dec("cac:TaxCategory/cbc:Percent", s) or Decimal("0"))
             / Decimal("100")).quantize(Decimal("0.01")),
            Decimal("0.01"),
        )
        for s in d.all("cac:TaxTotal/cac:TaxSubtotal")
    )
)
rule("BR-CO-18", "An Invoice shall at least have one VAT breakdown group (BG-23).")(
    lambda d: bool(d.all("cac:TaxTotal/cac:TaxSubtotal"))
)
rule(
    "BR-CO-25",
    "In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms "
    "(BT-20) shall be present.",
)(
    lambda d: (d.dec(f"{TOTALS}/cbc:PayableAmount") or 0) <= 0
    or d.text("cbc:DueDate") is not None
    or d.text("cac:PaymentMeans/cbc:PaymentDueDate") is not None
    or d.text("cac:PaymentTerms/cbc:Note") is not None
)
rule(
    "BR-61",
    "If the Payment means type (BT-81) is SEPA credit transfer, Local credit transfer or Non-SEPA international credit "
    "transfer, the Payment account identifier (BT-84) shall be present.",
)(
    lambda d: all(
        d.text("cac:PayeeFinancialAccount/cbc:ID", means) is not None
        for means in d.all("cac:PaymentMeans")
        if d.text("cbc:PaymentMeansCode", means) in {"30", "58"}
    )
)

# VAT categories ---------------------------------------------------------------------------------------------------------


def _taxable_equals_lines(d: Doc, code: str) -> bool:
    lines = sum(
        (d.dec("cbc:LineExtensionAmount", line) or Decimal("0"))
        for line in d.lines
        if d.text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) == code
    )
    return all(_equal(d.dec("cbc:TaxableAmount", s), Decimal(lines)) for s in d.subtotals(code))


def _line_rates(d: Doc, code: str) -> list[Decimal | None]:
    return [
        d.dec("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", line)
        for line in d.lines
        if d.text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) == code
    ]


def _has_seller_tax_id(d: Doc) -> bool:
    return bool(d.seller_vat_ids()) or d.text(f"{SELLER}/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)!='VAT']/cbc:CompanyID") is not None


def _exemption(d: Doc, code: str) -> bool:
    return all(
        d.text("cac:TaxCategory/cbc:TaxExemptionReason", s) or d.text("cac:TaxCategory/cbc:TaxExemptionReasonCode", s)
        for s in d.subtotals(code)
    )


rule(
    "BR-S-02",
    "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Standard "
    "rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the "
    "Seller tax representative VAT identifier (BT-63).",
)(lambda d: "S" not in d.line_categories() or _has_seller_tax_id(d))
rule(
    "BR-S-05",
    "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Standard rated\" the Invoiced "
    "item VAT rate (BT-152) shall be greater than zero.",
)(lambda d: all(rate is not None and rate > 0 for rate in _line_rates(d, "S")))
rule(
    "BR-S-08",
    "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"Standard rated\", "
    "the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts "
    "(BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts "
    "(BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"Standard rated\" and the VAT rate (BT-152, BT-103, "
    "BT-96) equals the VAT category rate (BT-119).",
)(lambda d: _taxable_equals_lines(d, "S"))
rule(
    "BR-S-10",
    "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"Standard rate\" shall not have a VAT exemption reason code "
    "(BT-121) or VAT exemption reason text (BT-120).",
)(lambda d: not any(d.text("cac:TaxCategory/cbc:TaxExemptionReason", s) for s in d.subtotals("S")))
rule(
    "BR-E-02",
    "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Exempt from "
    "VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the "
    "Seller tax representative VAT identifier (BT-63).",
)(lambda d: "E" not in d.line_categories() or _has_seller_tax_id(d))
rule(
    "BR-E-05",
    "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Exempt from VAT\", the Invoiced "
    "item VAT rate (BT-152) shall be 0 (zero).",
)(lambda d: all(rate == 0 for rate in _line_rates(d, "E")))
rule(
    "BR-E-08",
    "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Exempt from VAT\" the VAT category taxable "
    "amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of document level allowance "
    "amounts (BT-92) plus the sum of document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, "
    "BT-102) are \"Exempt from VAT\".",
)(lambda d: _taxable_equals_lines(d, "E"))
rule(
    "BR-E-09",
    "The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals "
    "\"Exempt from VAT\" shall equal 0 (zero).",
)(lambda d: all(d.dec("cbc:TaxAmount", s) == 0 for s in d.subtotals("E")))
rule(
    "BR-E-10",
    "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"Exempt from VAT\" shall have a VAT exemption reason code "
    "(BT-121) or a VAT exemption reason text (BT-120).",
)(lambda d: _exemption(d, "E"))
rule(
    "BR-O-02",
    "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Not subject "
    "to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or "
    "the Buyer VAT identifier (BT-48).",
)(
    lambda d: "O" not in d.line_categories()
    or not d.all("//cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']")
)
rule(
    "BR-O-05",
    "An Invoice line (BG-25) where the VAT category code (BT-151) is \"Not subject to VAT\" shall not contain an "
    "Invoiced item VAT rate (BT-152).",
)(lambda d: all(rate is None for rate in _line_rates(d, "O")))
rule(
    "BR-O-08",
    "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \" Not subject to VAT\" the VAT category taxable "
    "amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of document level allowance "
    "amounts (BT-92) plus the sum of document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, "
    "BT-102) are \"Not subject to VAT\".",
)(lambda d: _taxable_equals_lines(d, "O"))
rule(
    "BR-O-09",
    "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Not "
    "subject to VAT\" shall be 0 (zero).",
)(lambda d: all(d.dec("cbc:TaxAmount", s) == 0 for s in d.subtotals("O")))
rule(
    "BR-O-10",
    "A VAT breakdown (BG-23) with VAT Category code (BT-118) \" Not subject to VAT\" shall have a VAT exemption reason "
    "code (BT-121), meaning \" Not subject to VAT\" or a VAT exemption reason text (BT-120) \" Not subject to VAT\" (or "
    "the equivalent standard text in another language).",
)(lambda d: _exemption(d, "O"))
rule(
    "BR-O-11",
    "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" "
    "shall not contain other VAT breakdown groups (BG-23).",
)(lambda d: "O" not in d.categories() or len(d.categories()) == 1)


def check(root) -> list[Violation]:
    """Every rule the document breaks (fatal ones and warnings)."""
    doc = Doc(root)
    return [Violation(r.id, r.text, r.fatal) for r in RULES if not r.test(doc)]


def parse(content: bytes):
    return etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
