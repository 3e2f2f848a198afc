import Testing

@testable import RevisitModel

/// The SSRF guard for webhook URLs (DESIGN section 7). Pure parsing only: nothing here opens a connection.
@Suite("Webhook address policy")
struct WebhookAddressPolicyTests {
    @Test(
        "loopback, private, link-local, unspecified, shared, multicast and broadcast addresses are refused",
        arguments: [
            "10.0.0.1", "169.254.169.254", "127.0.0.1", "::1", "fd00::1", "::ffff:192.168.1.1", "127.255.255.254",
            "172.16.0.1", "172.31.255.255", "192.168.0.10", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.2.7", "198.51.100.1",
            "203.0.113.9", "198.18.0.1", "::", "fe80::1", "fe80::1%eth0", "febf::1", "fc00::1", "ff02::1",
            "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::127.0.0.1",
            "64:ff9b::10.0.0.1", "2002:c0a8:0101::1", "2001:db8::1", "0:0:0:0:0:0:0:1",
            // Forms a resolver reads as addresses too.
            "2130706433", "0x7f.1", "127.1", "0177.0.0.1", "10.1", "0", "0x",
        ]
    )
    func refused(address: String) {
        #expect(WebhookAddressPolicy.isPublic(address) == false)
    }

    @Test(
        "public addresses are allowed",
        arguments: [
            "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1",
            "169.255.0.1", "::ffff:93.184.216.34", "2a00:1450:4001:82a::200e", "64:ff9b::808:808",
        ]
    )
    func allowed(address: String) {
        #expect(WebhookAddressPolicy.isPublic(address) == true)
    }

    @Test(
        "host names and malformed literals are not IP literals",
        arguments: [
            "crm.example.com", "localhost", "", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "::1::2", "12345::",
            "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "::ffff:01.2.3.4x", "example",
        ]
    )
    func notLiterals(text: String) {
        #expect(WebhookAddressPolicy.isPublic(text) == nil)
    }

    @Test("URLs: http(s) with a host; defaults and explicit ports")
    func urls() throws {
        let https = try WebhookAddressPolicy.checkURL("https://CRM.Example.com/hooks?x=1", allowPrivate: false)
        #expect(https.host == "crm.example.com")
        #expect(https.port == 443)
        #expect(https.isTLS)
        let http = try WebhookAddressPolicy.checkURL("http://93.184.216.34:8080/in", allowPrivate: false)
        #expect(http.host == "93.184.216.34")
        #expect(http.port == 8080)
        #expect(!http.isTLS)
        let v6 = try WebhookAddressPolicy.checkURL("HTTP://[2606:2800:220:1:248:1893:25c8:1946]/", allowPrivate: false)
        #expect(v6.host == "2606:2800:220:1:248:1893:25c8:1946")
        #expect(v6.port == 80)
        let withUser = try WebhookAddressPolicy.checkURL("https://user:pa@ss@crm.example.com:8443", allowPrivate: false)
        #expect(withUser.host == "crm.example.com")
        #expect(withUser.port == 8443)
    }

    @Test(
        "refused URLs are 422 validation",
        arguments: [
            "ftp://crm.example.com/", "file:///etc/passwd", "gopher://x", "crm.example.com/hooks", "https://",
            "http:///path", "http://:80/", "https://crm.example.com:0/", "https://crm.example.com:70000/",
            "https://crm.example.com:80a/", "http://[::1/", "http://[nothex]/", "http://crm example.com/",
            "http://10.0.0.1/hooks", "http://127.0.0.1:9000/", "http://[::1]:9000/", "http://169.254.169.254/latest",
            "http://[::ffff:192.168.1.1]/", "http://localhost:9000/", "http://api.localhost/", "http://LOCALHOST./",
            "http://2130706433/", "http://[fe80::1%25eth0]/",
        ]
    )
    func refusedURLs(url: String) {
        let problem = #expect(throws: MutationProblem.self) {
            try WebhookAddressPolicy.checkURL(url, allowPrivate: false)
        }
        #expect(problem?.type == "validation")
        #expect(problem?.status == 422)
        #expect(problem?.detail.hasPrefix("url") == true)
    }

    @Test("--allow-private-webhooks lets loopback and private addresses through")
    func allowPrivate() throws {
        #expect(
            try WebhookAddressPolicy.checkURL("http://127.0.0.1:9000/", allowPrivate: true) == (
                "127.0.0.1", 9000, false
            )
        )
        #expect(try WebhookAddressPolicy.checkURL("http://[::1]:9000/", allowPrivate: true).host == "::1")
        #expect(try WebhookAddressPolicy.checkURL("http://localhost:9000/", allowPrivate: true).host == "localhost")
        #expect(try WebhookAddressPolicy.checkURL("https://10.0.0.1/", allowPrivate: true).port == 443)
        #expect(throws: MutationProblem.self) {
            try WebhookAddressPolicy.checkURL("ftp://127.0.0.1/", allowPrivate: true)
        }
    }
}
