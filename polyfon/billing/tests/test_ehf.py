"""EHF (PEPPOL BIS Billing 3.0, UBL 2.1): a valid document for every VAT treatment and for credit
notes, and one test per rule the app enforces, named after the rule: each breaks a valid
document in exactly the way the rule forbids and expects the rule to say so."""

from decimal import Decimal

import pytest
from lxml import etree

from polyfon.billing import ehf, services
from polyfon.billing.models import Invoice, VatCategory

from .factories import FeeScheduleFactory, standard_vat

pytestmark = pytest.mark.django_db
NS = ehf.NS


# --- Documents to break ------------------------------------------------------------------------------------------------


@pytest.fixture
def invoice(issue):
    """Not subject to VAT (the demo's treatment): 1 000 kr."""
    return issue(amount="1000", note="Gjelder fagdag")


@pytest.fixture
def standard_invoice(issue):
    standard_vat(year=2025)
    return issue(amount="1000", year=2025)


@pytest.fixture
def exempt_invoice(issue):
    FeeScheduleFactory(year=2024, vat_category=VatCategory.EXEMPT, vat_exemption_reason="Unntatt etter mval. § 3-5")
    return issue(amount="1000", year=2024)


@pytest.fixture
def credit_note(invoice, coordinator):
    return services.invoice_credit(invoice=invoice, actor=coordinator, reason="Avlyst", send=False)


def broken(document, *changes) -> set[str]:
    """The rules a freshly built document breaks after `changes` (functions of the root)."""
    root = ehf.build(document, pdf=b"%PDF-1.7 test")
    for change in changes:
        change(root)
    return {v.rule for v in ehf.check(root)}


def fatal(document) -> set[str]:
    return {v.rule for v in ehf.check(ehf.build(document)) if v.fatal}


def first(root, path):
    found = root.xpath(path, namespaces=NS)
    assert found, path
    return found[0]


def remove(path):
    def change(root):
        for element in root.xpath(path, namespaces=NS):
            element.getparent().remove(element)
    return change


def set_text(path, value):
    def change(root):
        first(root, path).text = value
    return change


def set_attribute(path, name, value):
    def change(root):
        first(root, path).set(name, value)
    return change


def add(parent_path, tag, text=None, index=None):
    def change(root):
        parent = first(root, parent_path)
        prefix, name = tag.split(":")
        element = etree.Element(f"{{{NS[prefix]}}}{name}")
        element.text = text
        parent.insert(len(parent) if index is None else index, element)
    return change


SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"
VAT_SCHEME = f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']"
LINE = "cac:InvoiceLine[1]"
TOTALS = "cac:LegalMonetaryTotal"
SUBTOTAL = "cac:TaxTotal/cac:TaxSubtotal"


# --- Valid documents -----------------------------------------------------------------------------------------------------


def test_an_invoice_not_subject_to_vat_breaks_no_rule(invoice):
    root = ehf.build(invoice, pdf=b"%PDF-1.7 test")
    assert fatal(invoice) == set()
    assert first(root, "cbc:CustomizationID").text == ehf.CUSTOMIZATION_ID
    assert first(root, "cbc:ProfileID").text == ehf.PROFILE_ID
    assert first(root, f"{SELLER}/cbc:EndpointID").get("schemeID") == "0192"
    assert first(root, f"{BUYER}/cac:PartyIdentification/cbc:ID").get("schemeID") == "0192"
    assert first(root, f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID").text == invoice.buyer_org_number
    assert first(root, "cbc:BuyerReference").text == "REF-1"
    assert first(root, "cac:PaymentMeans/cbc:PaymentID").text == invoice.kid
    assert first(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID").text == invoice.supplier_bank_account
    assert first(root, f"{SUBTOTAL}/cac:TaxCategory/cbc:ID").text == "O"
    assert not root.xpath(VAT_SCHEME, namespaces=NS)  # BR-O-02


def test_a_standard_rated_invoice_breaks_no_rule(standard_invoice):
    root = ehf.build(standard_invoice)
    assert fatal(standard_invoice) == set()
    assert first(root, f"{VAT_SCHEME}/cbc:CompanyID").text == f"NO{standard_invoice.supplier_org_number}MVA"
    assert first(root, "cac:TaxTotal/cbc:TaxAmount").text == "250.00"
    assert first(root, f"{TOTALS}/cbc:PayableAmount").text == "1250.00"


def test_an_exempt_invoice_breaks_no_rule(exempt_invoice):
    root = ehf.build(exempt_invoice)
    assert fatal(exempt_invoice) == set()
    assert first(root, f"{SUBTOTAL}/cac:TaxCategory/cbc:TaxExemptionReason").text == "Unntatt etter mval. § 3-5"


def test_a_credit_note_breaks_no_rule(credit_note, invoice):
    root = ehf.build(credit_note)
    assert fatal(credit_note) == set()
    assert etree.QName(root).localname == "CreditNote"
    assert first(root, "cbc:CreditNoteTypeCode").text == "381"
    assert first(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID").text == invoice.display_number
    assert first(root, "cac:CreditNoteLine/cbc:CreditedQuantity").text == "1"


def test_a_corrected_invoice_references_the_one_it_replaces(invoice, issue, coordinator):
    services.invoice_credit(invoice=invoice, actor=coordinator, reason="Feil", send=False)
    correction = issue(invoice.participant, corrects=invoice)
    root = ehf.build(correction)
    assert first(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID").text == invoice.display_number
    assert fatal(correction) == set()


def test_a_fatal_violation_stops_the_file(invoice):
    Invoice.objects.filter(pk=invoice.pk).update(buyer_reference="")
    with pytest.raises(ehf.EhfRuleError) as error:
        ehf.document_xml(Invoice.objects.select_related("series").get(pk=invoice.pk))
    assert [v.rule for v in error.value.violations] == ["PEPPOL-EN16931-R003"]


def test_the_file_is_utf8_xml_named_by_number(invoice, credit_note):
    content = ehf.document_xml(invoice)
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert ehf.filename(invoice) == "faktura-1.xml" and ehf.filename(credit_note) == "kreditnota-K1.xml"


# --- Document level -------------------------------------------------------------------------------------------------------


def test_br_01_specification_identifier(invoice):
    assert "BR-01" in broken(invoice, remove("cbc:CustomizationID"))


def test_br_02_invoice_number(invoice):
    assert "BR-02" in broken(invoice, remove("cbc:ID"))


def test_br_03_issue_date(invoice):
    assert "BR-03" in broken(invoice, remove("cbc:IssueDate"))


def test_br_04_invoice_type_code(invoice):
    assert "BR-04" in broken(invoice, remove("cbc:InvoiceTypeCode"))


def test_br_05_currency_code(invoice):
    assert "BR-05" in broken(invoice, remove("cbc:DocumentCurrencyCode"))


def test_peppol_en16931_r001_business_process(invoice):
    assert "PEPPOL-EN16931-R001" in broken(invoice, remove("cbc:ProfileID"))


def test_peppol_en16931_r007_approved_business_process(invoice):
    assert "PEPPOL-EN16931-R007" in broken(invoice, set_text("cbc:ProfileID", "urn:www.cenbii.eu:profile:bii05:ver2.0"))


def test_peppol_en16931_r004_specification_identifier(invoice):
    assert "PEPPOL-EN16931-R004" in broken(invoice, set_text("cbc:CustomizationID", "urn:www.cenbii.eu:transaction:biitrns010:ver2.0"))
    assert "PEPPOL-EN16931-R004" in broken(invoice, set_text("cbc:CustomizationID", ehf.CUSTOMIZATION_ID + "::x"))


def test_peppol_en16931_p0100_invoice_type_code(invoice):
    assert "PEPPOL-EN16931-P0100" in broken(invoice, set_text("cbc:InvoiceTypeCode", "381"))


def test_peppol_en16931_p0101_credit_note_type_code(credit_note):
    assert "PEPPOL-EN16931-P0101" in broken(credit_note, set_text("cbc:CreditNoteTypeCode", "380"))


def test_peppol_en16931_r002_one_note(invoice):
    assert "PEPPOL-EN16931-R002" not in broken(invoice)
    assert "PEPPOL-EN16931-R002" in broken(invoice, add(".", "cbc:Note", "En til", index=6))


def test_peppol_en16931_r003_buyer_reference(invoice):
    assert "PEPPOL-EN16931-R003" in broken(invoice, remove("cbc:BuyerReference"))


def test_peppol_en16931_r008_no_empty_elements(invoice):
    assert "PEPPOL-EN16931-R008" in broken(invoice, set_text(f"{BUYER}/cac:PostalAddress/cbc:CityName", " "))


def test_peppol_en16931_r051_one_currency(invoice):
    assert "PEPPOL-EN16931-R051" in broken(invoice, set_attribute(f"{TOTALS}/cbc:PayableAmount", "currencyID", "EUR"))


def test_peppol_en16931_r053_one_tax_total_with_subtotals(invoice):
    def duplicate_tax_total(root):
        tax_total = first(root, "cac:TaxTotal")
        tax_total.addnext(etree.fromstring(etree.tostring(tax_total)))
    assert "PEPPOL-EN16931-R053" in broken(invoice, duplicate_tax_total)


def test_br_16_at_least_one_line(invoice):
    assert "BR-16" in broken(invoice, remove("cac:InvoiceLine"))


def test_br_55_preceding_invoice_reference(credit_note):
    assert "BR-55" in broken(credit_note, remove("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"))


# --- Parties --------------------------------------------------------------------------------------------------------------


def test_br_06_seller_name(invoice):
    assert "BR-06" in broken(invoice, remove(f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName"))


def test_br_07_buyer_name(invoice):
    assert "BR-07" in broken(invoice, remove(f"{BUYER}/cac:PartyLegalEntity/cbc:RegistrationName"))


def test_br_08_seller_postal_address(invoice):
    assert "BR-08" in broken(invoice, remove(f"{SELLER}/cac:PostalAddress"))


def test_br_09_seller_country_code(invoice):
    assert "BR-09" in broken(invoice, remove(f"{SELLER}/cac:PostalAddress/cac:Country"))


def test_br_10_buyer_postal_address(invoice):
    assert "BR-10" in broken(invoice, remove(f"{BUYER}/cac:PostalAddress"))


def test_br_11_buyer_country_code(invoice):
    assert "BR-11" in broken(invoice, remove(f"{BUYER}/cac:PostalAddress/cac:Country"))


def test_peppol_en16931_r010_buyer_electronic_address(invoice):
    assert "PEPPOL-EN16931-R010" in broken(invoice, remove(f"{BUYER}/cbc:EndpointID"))


def test_peppol_en16931_r020_seller_electronic_address(invoice):
    assert "PEPPOL-EN16931-R020" in broken(invoice, remove(f"{SELLER}/cbc:EndpointID"))


def test_br_62_seller_electronic_address_scheme(invoice):
    def drop(root):
        del first(root, f"{SELLER}/cbc:EndpointID").attrib["schemeID"]
    assert "BR-62" in broken(invoice, drop)


def test_br_63_buyer_electronic_address_scheme(invoice):
    def drop(root):
        del first(root, f"{BUYER}/cbc:EndpointID").attrib["schemeID"]
    assert "BR-63" in broken(invoice, drop)


def test_peppol_common_r041_norwegian_organisation_number(invoice):
    assert "PEPPOL-COMMON-R041" in broken(invoice, set_text(f"{BUYER}/cbc:EndpointID", "123456789"))  # check digit
    assert "PEPPOL-COMMON-R041" in broken(invoice, set_text(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID", "91063007"))
    assert "PEPPOL-COMMON-R041" not in broken(invoice)


def test_br_co_26_seller_identifier(invoice):
    changes = [remove(f"{SELLER}/cac:PartyIdentification"), remove(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID")]
    assert "BR-CO-26" in broken(invoice, *changes)
    assert "BR-CO-26" not in broken(invoice, changes[0])


def test_br_co_09_vat_identifier_prefix(standard_invoice):
    assert "BR-CO-09" in broken(standard_invoice, set_text(f"{VAT_SCHEME}/cbc:CompanyID", "910630075MVA"))


def test_no_r_001_vat_number_form(standard_invoice):
    org = standard_invoice.supplier_org_number
    assert "NO-R-001" not in broken(standard_invoice)
    assert "NO-R-001" in broken(standard_invoice, set_text(f"{VAT_SCHEME}/cbc:CompanyID", f"NO{org}"))
    assert "NO-R-001" in broken(standard_invoice, set_text(f"{VAT_SCHEME}/cbc:CompanyID", "NO123456789MVA"))  # MOD11
    assert "NO-R-001" in broken(standard_invoice, set_text(f"{VAT_SCHEME}/cbc:CompanyID", f"NO {org} MVA"))


def test_no_r_002_foretaksregisteret_is_a_warning(invoice, issue):
    violations = {v.rule: v for v in ehf.check(ehf.build(invoice))}
    assert not violations["NO-R-002"].fatal  # a university is not in the Register of Business Enterprises
    FeeScheduleFactory(year=2023, supplier_in_business_register=True)
    company = issue(amount="1000", year=2023)
    assert "NO-R-002" not in broken(company)
    assert first(ehf.build(company), f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='TAX']/cbc:CompanyID").text == \
        "Foretaksregisteret"


# --- Lines -----------------------------------------------------------------------------------------------------------------


def test_br_21_line_identifier(invoice):
    assert "BR-21" in broken(invoice, remove(f"{LINE}/cbc:ID"))


def test_br_22_invoiced_quantity(invoice):
    assert "BR-22" in broken(invoice, remove(f"{LINE}/cbc:InvoicedQuantity"))


def test_br_23_unit_of_measure(invoice):
    def drop(root):
        del first(root, f"{LINE}/cbc:InvoicedQuantity").attrib["unitCode"]
    assert "BR-23" in broken(invoice, drop)


def test_br_24_line_net_amount(invoice):
    assert "BR-24" in broken(invoice, remove(f"{LINE}/cbc:LineExtensionAmount"))


def test_br_25_item_name(invoice):
    assert "BR-25" in broken(invoice, remove(f"{LINE}/cac:Item/cbc:Name"))


def test_br_26_item_net_price(invoice):
    assert "BR-26" in broken(invoice, remove(f"{LINE}/cac:Price"))


def test_br_27_price_not_negative(invoice):
    assert "BR-27" in broken(invoice, set_text(f"{LINE}/cac:Price/cbc:PriceAmount", "-1000.00"))


def test_br_co_04_line_vat_category(invoice):
    assert "BR-CO-04" in broken(invoice, remove(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"))


def test_peppol_en16931_r120_line_net_amount(invoice):
    assert "PEPPOL-EN16931-R120" in broken(invoice, set_text(f"{LINE}/cac:Price/cbc:PriceAmount", "900.00"))
    assert "PEPPOL-EN16931-R120" not in broken(invoice, set_text(f"{LINE}/cac:Price/cbc:PriceAmount", "1000.01"))


# --- Totals -----------------------------------------------------------------------------------------------------------------


def test_br_12_sum_of_line_net_amounts(invoice):
    assert "BR-12" in broken(invoice, remove(f"{TOTALS}/cbc:LineExtensionAmount"))


def test_br_13_total_without_vat(invoice):
    assert "BR-13" in broken(invoice, remove(f"{TOTALS}/cbc:TaxExclusiveAmount"))


def test_br_14_total_with_vat(invoice):
    assert "BR-14" in broken(invoice, remove(f"{TOTALS}/cbc:TaxInclusiveAmount"))


def test_br_15_amount_due(invoice):
    assert "BR-15" in broken(invoice, remove(f"{TOTALS}/cbc:PayableAmount"))


def test_br_co_10_sum_of_line_net_amounts(invoice):
    assert "BR-CO-10" in broken(invoice, set_text(f"{TOTALS}/cbc:LineExtensionAmount", "999.00"))


def test_br_co_13_tax_exclusive_total(invoice):
    assert "BR-CO-13" in broken(invoice, set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", "999.00"))


def test_br_co_14_total_vat(standard_invoice):
    assert "BR-CO-14" in broken(standard_invoice, set_text("cac:TaxTotal/cbc:TaxAmount", "240.00"))


def test_br_co_15_tax_inclusive_total(invoice):
    assert "BR-CO-15" in broken(invoice, set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", "1250.00"))


def test_br_co_16_amount_due(invoice):
    assert "BR-CO-16" in broken(invoice, set_text(f"{TOTALS}/cbc:PayableAmount", "900.00"))
    prepaid = add(TOTALS, "cbc:PrepaidAmount", "100.00", index=3)
    assert "BR-CO-16" not in broken(invoice, prepaid, set_text(f"{TOTALS}/cbc:PayableAmount", "900.00"),
                                    set_attribute(f"{TOTALS}/cbc:PrepaidAmount", "currencyID", "NOK"))


def test_br_co_17_vat_category_tax_amount(standard_invoice):
    assert "BR-CO-17" in broken(standard_invoice, set_text(f"{SUBTOTAL}/cbc:TaxAmount", "249.00"))


def test_br_co_18_vat_breakdown(invoice):
    assert "BR-CO-18" in broken(invoice, remove(SUBTOTAL))


def test_br_co_25_due_date_or_terms(invoice):
    assert "BR-CO-25" not in broken(invoice, remove("cbc:DueDate"))  # the payment terms are there
    assert "BR-CO-25" in broken(invoice, remove("cbc:DueDate"), remove("cac:PaymentTerms"))


def test_br_61_payment_account(invoice):
    assert "BR-61" in broken(invoice, remove("cac:PaymentMeans/cac:PayeeFinancialAccount"))


# --- VAT categories ---------------------------------------------------------------------------------------------------------


def test_br_s_02_seller_vat_identifier(standard_invoice):
    assert "BR-S-02" in broken(standard_invoice, remove(VAT_SCHEME))


def test_br_s_05_standard_rate_above_zero(standard_invoice):
    assert "BR-S-05" in broken(standard_invoice, set_text(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "0.00"))


def test_br_s_08_standard_taxable_amount(standard_invoice):
    assert "BR-S-08" in broken(standard_invoice, set_text(f"{SUBTOTAL}/cbc:TaxableAmount", "800.00"))


def test_br_s_10_no_exemption_reason_when_standard_rated(standard_invoice):
    assert "BR-S-10" in broken(standard_invoice, add(f"{SUBTOTAL}/cac:TaxCategory", "cbc:TaxExemptionReason", "x", index=2))


def test_br_e_02_seller_vat_identifier_when_exempt(exempt_invoice):
    assert "BR-E-02" in broken(exempt_invoice, remove(VAT_SCHEME))


def test_br_e_05_exempt_rate_zero(exempt_invoice):
    assert "BR-E-05" in broken(exempt_invoice, set_text(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "25.00"))


def test_br_e_08_exempt_taxable_amount(exempt_invoice):
    assert "BR-E-08" in broken(exempt_invoice, set_text(f"{SUBTOTAL}/cbc:TaxableAmount", "800.00"))


def test_br_e_09_exempt_tax_zero(exempt_invoice):
    assert "BR-E-09" in broken(exempt_invoice, set_text(f"{SUBTOTAL}/cbc:TaxAmount", "10.00"))


def test_br_e_10_exemption_reason(exempt_invoice):
    assert "BR-E-10" in broken(exempt_invoice, remove(f"{SUBTOTAL}/cac:TaxCategory/cbc:TaxExemptionReason"))


def test_br_o_02_no_seller_vat_identifier_when_not_subject(invoice):
    def add_vat(root):
        legal = first(root, f"{SELLER}/cac:PartyLegalEntity")
        legal.addprevious(etree.fromstring(
            f'<cac:PartyTaxScheme xmlns:cac="{ehf.CAC}" xmlns:cbc="{ehf.CBC}"><cbc:CompanyID>NO910630075MVA</cbc:CompanyID>'
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        ))
    assert "BR-O-02" in broken(invoice, add_vat)


def test_br_o_05_no_rate_when_not_subject(invoice):
    assert "BR-O-05" in broken(invoice, add(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory", "cbc:Percent", "0", index=1))


def test_br_o_08_not_subject_taxable_amount(invoice):
    assert "BR-O-08" in broken(invoice, set_text(f"{SUBTOTAL}/cbc:TaxableAmount", "800.00"))


def test_br_o_09_not_subject_tax_zero(invoice):
    assert "BR-O-09" in broken(invoice, set_text(f"{SUBTOTAL}/cbc:TaxAmount", "10.00"))


def test_br_o_10_not_subject_reason(invoice):
    assert "BR-O-10" in broken(invoice, remove(f"{SUBTOTAL}/cac:TaxCategory/cbc:TaxExemptionReason"))


def test_br_o_11_no_other_vat_breakdown(invoice):
    def second_category(root):
        subtotal = first(root, SUBTOTAL)
        copy = etree.fromstring(etree.tostring(subtotal))
        copy.find(f"{{{ehf.CAC}}}TaxCategory/{{{ehf.CBC}}}ID").text = "S"
        subtotal.addnext(copy)
    assert "BR-O-11" in broken(invoice, second_category)


def test_every_enforced_rule_has_its_test():
    import sys

    module = sys.modules[__name__]
    tested = {name[5:] for name in dir(module) if name.startswith("test_")}
    missing = [r.id for r in ehf.RULES if not any(t.startswith(r.id.lower().replace("-", "_")) for t in tested)]
    assert missing == []


def test_line_amounts_are_checked_with_decimals_not_floats(issue):
    invoice = issue(lines=[services.LineInput("Kopier", Decimal("3"), Decimal("0.10"))])
    assert fatal(invoice) == set()
