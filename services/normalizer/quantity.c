/* quantity.c - the vocabulary table. A new quantity is one line here and one in
 * docs/quantities.md.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "quantity.h"

const struct quantity quantity_table[] = {
    /* Device health */
    { "battery", "%", 0, "battery state of charge" },
    { "battery_voltage", "V", 0, "battery voltage" },
    { "battery_low", "1", 0, "1 when the device reports a low battery" },
    { "rssi", "dBm", 0, "received signal strength of the uplink at the best gateway" },
    { "snr", "dB", 0, "signal-to-noise ratio of the uplink at the best gateway" },
    { "f_cnt", "1", 0, "LoRaWAN uplink frame counter (gaps between uplinks are lost frames)" },
    { "device_temperature", "°C", 0, "temperature inside the device (MCU, CPU)" },
    { "tilt", "1", 0, "1 when the device reports it is tilted or out of its mounting position" },
    { "tilt_angle", "°", 0, "tilt angle of the device from its mounting position" },
    { "latitude", "°", 0, "WGS84 latitude reported by the device (GNSS)" },
    { "longitude", "°", 0, "WGS84 longitude reported by the device (GNSS)" },

    /* Sound: L + frequency weighting (A, C, Z) + time weighting (F, S, I) or eq, max */
    { "LAF", "dB(A)", 0, "A-weighted sound level, fast time weighting, at the end of the interval" },
    { "LAS", "dB(A)", 0, "A-weighted sound level, slow time weighting" },
    { "LAI", "dB(A)", 0, "A-weighted sound level, impulse time weighting" },
    { "LCF", "dB(C)", 0, "C-weighted sound level, fast" },
    { "LCS", "dB(C)", 0, "C-weighted sound level, slow" },
    { "LCI", "dB(C)", 0, "C-weighted sound level, impulse" },
    { "LZF", "dB(Z)", 0, "unweighted (Z) sound level, fast" },
    { "LZS", "dB(Z)", 0, "unweighted (Z) sound level, slow" },
    { "LZI", "dB(Z)", 0, "unweighted (Z) sound level, impulse" },
    { "LAeq", "dB(A)", 0, "A-weighted equivalent continuous sound level over the interval" },
    { "LCeq", "dB(C)", 0, "C-weighted equivalent continuous sound level over the interval" },
    { "LZeq", "dB(Z)", 0, "unweighted equivalent continuous sound level over the interval" },
    { "LAFmax", "dB(A)", 0, "maximum A-weighted fast sound level over the interval" },
    { "LASmax", "dB(A)", 0, "maximum A-weighted slow sound level over the interval" },
    { "LAImax", "dB(A)", 0, "maximum A-weighted impulse sound level over the interval" },
    { "LCFmax", "dB(C)", 0, "maximum C-weighted fast sound level" },
    { "LCSmax", "dB(C)", 0, "maximum C-weighted slow sound level" },
    { "LCImax", "dB(C)", 0, "maximum C-weighted impulse sound level" },
    { "LZFmax", "dB(Z)", 0, "maximum unweighted fast sound level" },
    { "LZSmax", "dB(Z)", 0, "maximum unweighted slow sound level" },
    { "LZImax", "dB(Z)", 0, "maximum unweighted impulse sound level" },
    { "LAmax", "dB(A)", 0, "maximum A-weighted sound level over the interval (time weighting "
                           "not stated by the device)" },
    { "LA10", "dB(A)", 0, "A-weighted level exceeded 10 % of the interval" },
    { "LA50", "dB(A)", 0, "A-weighted level exceeded 50 % of the interval" },
    { "LA90", "dB(A)", 0, "A-weighted level exceeded 90 % of the interval (background)" },

    /* Air and environment */
    { "temperature", "°C", 0, "temperature of the medium the use case measures (air, water, waste)" },
    { "humidity", "%", 0, "relative humidity" },
    { "illuminance", "lx", 0, "light level" },
    { "motion", "1", 0, "motion detections (PIR) during the interval" },
    { "co2", "ppm", 0, "carbon dioxide concentration" },
    { "pressure", "bar", 0, "pressure measured by the sensor (relative to air for vented gauges)" },

    /* Waste */
    { "distance", "m", 0, "distance from an ultrasonic sensor to the surface below it" },
    { "fill_level", "%", 0, "how full a container is, 0 empty to 100 full (derived)" },
    { "full_alarm", "1", 0, "1 when the device reports its container full" },
    { "fire_alarm", "1", 0, "1 when the device reports a fire (temperature) alarm" },

    /* Water */
    { "water_level", "m", 0, "water height above the gauge zero (derived)" },
    { "water_depth", "m", 0, "water column above a submerged sensor" },
    { "conductivity", "µS/cm", 0, "electrical conductivity of the water" },
    { "freezing", "1", 0, "1 when the sensor reports freezing conditions" },
    { "ph", "pH", 0, "acidity of the water" },
    { "turbidity", "NTU", 0, "turbidity of the water" },
    { "dissolved_oxygen", "mg/L", 0, "dissolved oxygen in the water" },
    { "valid_samples", "1", 0, "valid samples behind one reading" },

    /* Counting */
    { "count_ltr", "1", 0, "objects that passed left to right during the interval" },
    { "count_rtl", "1", 0, "objects that passed right to left during the interval" },
    { "count_ltr_total", "1", 0, "objects counted left to right since the device started" },
    { "count_rtl_total", "1", 0, "objects counted right to left since the device started" },
    { "bike_count_in", "1", 0, "bicycles counted inbound during the interval (derived)" },
    { "bike_count_out", "1", 0, "bicycles counted outbound during the interval (derived)" },
    { "pedestrian_count_in", "1", 0, "pedestrians counted inbound during the interval (derived)" },
    { "pedestrian_count_out", "1", 0,
      "pedestrians counted outbound during the interval (derived)" },
    { "solar_power", "W", 0, "power delivered by the device's solar panel" },

    /* Lighting */
    { "voltage", "V", 0, "mains voltage (RMS)" },
    { "current", "A", 0, "current drawn (RMS)" },
    { "power", "W", 0, "active power drawn" },
    { "power_factor", "1", 0, "power factor, 0 to 1" },
    { "energy", "kWh", 0, "active energy counter (cumulative)" },
    { "load_side_power", "W", 0, "active power at the lamp driver's output" },
    { "load_side_energy", "kWh", 0, "energy counter at the lamp driver's output (cumulative)" },
    { "dim_level", "%", 1, "dimming level of the lamp, 0 off to 100 full (indexed by DALI "
                           "address when a controller drives several)" },
    { "lamp_on", "1", 1, "1 when the lamp is lit" },
    { "lamp_failure", "1", 1, "1 when the lamp or its driver reports a failure" },
    { "lamp_on_time", "h", 1, "cumulative time the lamp has been lit" },
    { "driver_operating_time", "h", 1, "cumulative time the lamp driver has been powered" },
    { "switch", "1", 1, "state of a switched circuit, 1 on, 0 off (switch_1 .. switch_8)" },
    { "relay_closed", "1", 0, "1 when the controller's internal relay is closed" },
    { "light_sensor", "1", 0, "raw value of the controller's light sensor (LDR)" },
    { "lamp_error_alert", "1", 0, "1 when the controller raises a lamp error alert" },
    { "over_current_alert", "1", 0, "1 when the controller raises an over-current alert" },
    { "under_voltage_alert", "1", 0, "1 when the controller raises an under-voltage alert" },
    { "over_voltage_alert", "1", 0, "1 when the controller raises an over-voltage alert" },
    { "low_power_factor_alert", "1", 0, "1 when the controller raises a low power factor alert" },
    { NULL, NULL, 0, NULL },
};

const struct quantity *quantity_find(const char *name)
{
    size_t len;

    if (name == NULL)
        return NULL;
    len = strlen(name);
    for (const struct quantity *q = quantity_table; q->name != NULL; q++) {
        size_t blen = strlen(q->name);
        if (len == blen && memcmp(name, q->name, len) == 0)
            return q;
        if (q->indexed && len > blen + 1 && memcmp(name, q->name, blen) == 0 &&
            name[blen] == '_') {
            size_t i = blen + 1;
            while (i < len && isdigit((unsigned char)name[i]))
                i++;
            if (i == len && len - blen - 1 <= 3)
                return q;
        }
    }
    return NULL;
}
