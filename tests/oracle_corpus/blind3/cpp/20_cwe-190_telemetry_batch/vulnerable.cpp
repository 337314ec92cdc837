#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <memory>

// A telemetry batch as received over UDP from the field gateways:
//   u32 record_count, u32 record_size (network byte order), then
//   record_count records of record_size bytes each. Newer gateway firmware
//   may send records larger than the fields we know about.
struct BatchHeader {
    std::uint32_t record_count;
    std::uint32_t record_size;
};

struct TelemetryRecord {
    std::uint32_t sensor_id;
    std::uint32_t timestamp;
    float value;
    std::uint32_t status;
};

// The receive buffer is reused for the next datagram, so the records are
// copied into a batch owned by the processing queue.
struct OwnedBatch {
    std::unique_ptr<std::uint8_t[]> data;
    std::uint32_t count = 0;
    std::uint32_t stride = 0;
};

bool copy_batch(const std::uint8_t *pkt, std::size_t pkt_len, OwnedBatch &out)
{
    if (pkt_len < sizeof(BatchHeader))
        return false;

    BatchHeader hdr;
    std::memcpy(&hdr, pkt, sizeof hdr);
    std::uint32_t count = ntohl(hdr.record_count);
    std::uint32_t rec_size = ntohl(hdr.record_size);
    if (count == 0 || rec_size < sizeof(TelemetryRecord))
        return false;

    std::uint32_t total = count * rec_size;
    if (total > pkt_len - sizeof(BatchHeader))
        return false;

    out.data.reset(new std::uint8_t[total]);
    const std::uint8_t *src = pkt + sizeof(BatchHeader);
    for (std::uint32_t i = 0; i < count; ++i) {
        std::size_t off = static_cast<std::size_t>(i) * rec_size;
        std::memcpy(out.data.get() + off, src + off, rec_size);
    }
    out.count = count;
    out.stride = rec_size;
    return true;
}
