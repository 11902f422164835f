using LeadExchange.Domain.Reference;

namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>
/// Seed reference data: the market niches leads are traded in and the regions they come from.
/// Every call returns fresh instances, so callers may attach them to a DbContext or mutate them freely.
/// </summary>
public static class ReferenceData
{
    private const string Currency = "RUB";

    /// <summary>Purchase intent; "now" is the strongest signal and is used by lead scoring.</summary>
    private static NicheField Timeframe(bool required = false) =>
        new("timeframe", "When do you plan to proceed?", LeadFieldType.Choice, required, ["now", "1-3 months", "3-6 months", "later"]);

    private static NicheField Budget(string label = "Budget, RUB", bool required = false) =>
        new("budget", label, LeadFieldType.Integer, required);

    public static IReadOnlyList<Niche> Niches() =>
    [
        new Niche("real-estate", "Real estate", Currency)
        {
            Description = "Buyers, sellers and tenants of apartments, houses, commercial property and land; leads typically sell for 1,000-5,000 RUB and more for premium property.",
            DedupWindowDays = 60,
            DisputeWindowHours = 72,
            LeadExpiryDays = 30,
            MaxSharedBuyers = 3,
            HotThreshold = 75,
            WarmThreshold = 45,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by real estate agencies and developers partnering with this service about my property request.",
            Fields =
            [
                new NicheField("deal_type", "Deal type", LeadFieldType.Choice, true, ["buy", "sell", "rent"]),
                new NicheField("property_type", "Property type", LeadFieldType.Choice, false, ["apartment", "house", "commercial", "land"]),
                new NicheField("rooms", "Number of rooms", LeadFieldType.Integer, false),
                Budget(required: true),
                new NicheField("mortgage", "Needs a mortgage", LeadFieldType.Boolean, false),
                Timeframe(),
            ],
        },
        new Niche("credit", "Credit and loans", Currency)
        {
            Description = "People and businesses looking for consumer loans, mortgages, car loans or refinancing; leads typically sell for 500-1,500 RUB.",
            DedupWindowDays = 14,
            DisputeWindowHours = 48,
            LeadExpiryDays = 5,
            MaxSharedBuyers = 5,
            HotThreshold = 70,
            WarmThreshold = 40,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ, including its transfer to partner banks and credit institutions, and to being contacted by them by phone, SMS or email about my loan application.",
            Fields =
            [
                new NicheField("amount", "Loan amount, RUB", LeadFieldType.Integer, true),
                new NicheField("term_months", "Loan term, months", LeadFieldType.Integer, true),
                new NicheField("purpose", "Loan purpose", LeadFieldType.Choice, false, ["consumer", "mortgage", "car loan", "refinancing", "business", "microloan"]),
                new NicheField("employment", "Employment", LeadFieldType.Choice, false, ["employed", "self-employed", "business owner", "pensioner", "unemployed"]),
                new NicheField("monthly_income", "Monthly income, RUB", LeadFieldType.Integer, false),
                new NicheField("credit_history", "Credit history", LeadFieldType.Choice, false, ["good", "some delays", "bad", "none"]),
                Timeframe(),
            ],
        },
        new Niche("legal", "Legal services", Currency)
        {
            Description = "Individuals and companies seeking a lawyer for family, criminal, arbitration, property, labour or bankruptcy matters; a lead costs about 600 RUB in Moscow and about 100 RUB in smaller cities such as Murmansk.",
            DedupWindowDays = 30,
            DisputeWindowHours = 72,
            LeadExpiryDays = 10,
            MaxSharedBuyers = 2,
            HotThreshold = 70,
            WarmThreshold = 40,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by law firms and lawyers partnering with this service about my legal question.",
            Fields =
            [
                new NicheField("practice_area", "Practice area", LeadFieldType.Choice, true, ["family", "criminal", "arbitration", "real estate", "labour", "bankruptcy"]),
                new NicheField("description", "Describe your situation", LeadFieldType.Text, false),
                Budget(),
                Timeframe(),
            ],
        },
        new Niche("insurance", "Insurance", Currency)
        {
            Description = "People comparing motor (OSAGO, KASKO), property, health, life, travel and mortgage insurance policies.",
            DedupWindowDays = 30,
            DisputeWindowHours = 72,
            LeadExpiryDays = 14,
            MaxSharedBuyers = 4,
            HotThreshold = 70,
            WarmThreshold = 40,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, SMS or email by insurance companies and brokers partnering with this service with quotes for the policy I requested.",
            Fields =
            [
                new NicheField("insurance_type", "Insurance type", LeadFieldType.Choice, true, ["auto OSAGO", "auto KASKO", "property", "health", "life", "travel", "mortgage"]),
                new NicheField("insured_value", "Insured value, RUB", LeadFieldType.Integer, false),
                Budget("Premium budget, RUB"),
                Timeframe(),
            ],
        },
        new Niche("education", "Education", Currency)
        {
            Description = "Students and parents looking for language courses, IT training, exam preparation, tutoring, professional retraining or higher education.",
            DedupWindowDays = 45,
            DisputeWindowHours = 72,
            LeadExpiryDays = 21,
            MaxSharedBuyers = 3,
            HotThreshold = 65,
            WarmThreshold = 35,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by schools and course providers partnering with this service about the training I am interested in.",
            Fields =
            [
                new NicheField("course_type", "Course type", LeadFieldType.Choice, true, ["languages", "IT and programming", "exam preparation", "school tutoring", "professional retraining", "higher education"]),
                new NicheField("format", "Format", LeadFieldType.Choice, false, ["online", "in person", "mixed"]),
                new NicheField("student_age", "Student age", LeadFieldType.Integer, false),
                Budget(),
                Timeframe(),
            ],
        },
        new Niche("auto", "Auto", Currency)
        {
            Description = "Drivers buying, selling or trading in new and used cars, or looking for car service and repair.",
            DedupWindowDays = 30,
            DisputeWindowHours = 72,
            LeadExpiryDays = 14,
            MaxSharedBuyers = 3,
            HotThreshold = 70,
            WarmThreshold = 40,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by car dealers and service centres partnering with this service about my vehicle request.",
            Fields =
            [
                new NicheField("service_type", "What do you need?", LeadFieldType.Choice, true, ["buy new", "buy used", "sell", "trade-in", "service and repair"]),
                new NicheField("make", "Make", LeadFieldType.Text, false),
                new NicheField("model", "Model", LeadFieldType.Text, false),
                new NicheField("year", "Year of manufacture", LeadFieldType.Integer, false),
                new NicheField("financing", "Payment method", LeadFieldType.Choice, false, ["cash", "car loan", "leasing"]),
                Budget(),
                Timeframe(),
            ],
        },
        new Niche("medical", "Medical services", Currency)
        {
            Description = "Patients looking for private clinics for dentistry, cosmetology, ophthalmology, diagnostics, check-ups and other paid medical services.",
            DedupWindowDays = 30,
            DisputeWindowHours = 48,
            LeadExpiryDays = 10,
            MaxSharedBuyers = 2,
            HotThreshold = 75,
            WarmThreshold = 45,
            ConsentText = "I consent to the processing of my personal data, including health data, under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by licensed medical clinics partnering with this service to arrange a consultation.",
            Fields =
            [
                new NicheField("specialty", "Specialty", LeadFieldType.Choice, true, ["dentistry", "cosmetology", "ophthalmology", "plastic surgery", "diagnostics", "general check-up", "IVF"]),
                new NicheField("description", "Symptoms or request", LeadFieldType.Text, false),
                Budget(),
                Timeframe(),
            ],
        },
        new Niche("renovation", "Renovation and repair", Currency)
        {
            Description = "Owners of apartments, houses and offices ordering renovation, design projects, plumbing, electrical work or windows.",
            DedupWindowDays = 45,
            DisputeWindowHours = 72,
            LeadExpiryDays = 21,
            MaxSharedBuyers = 3,
            HotThreshold = 70,
            WarmThreshold = 40,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by renovation contractors partnering with this service with estimates for my project.",
            Fields =
            [
                new NicheField("object_type", "Property type", LeadFieldType.Choice, true, ["apartment", "house", "office", "commercial"]),
                new NicheField("work_type", "Type of work", LeadFieldType.Choice, true, ["full renovation", "cosmetic repair", "design project", "plumbing", "electrical", "windows"]),
                new NicheField("area_sqm", "Area, sq. m", LeadFieldType.Decimal, false),
                Budget(),
                Timeframe(),
            ],
        },
        new Niche("b2b-services", "Business services", Currency)
        {
            Description = "Companies outsourcing accounting, IT, marketing, recruiting, logistics or cleaning to service providers.",
            DedupWindowDays = 60,
            DisputeWindowHours = 96,
            LeadExpiryDays = 30,
            MaxSharedBuyers = 2,
            HotThreshold = 65,
            WarmThreshold = 35,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by business service providers partnering with this service with proposals for my company.",
            Fields =
            [
                new NicheField("service_type", "Service needed", LeadFieldType.Choice, true, ["accounting", "IT outsourcing", "marketing", "recruiting", "logistics", "cleaning"]),
                new NicheField("company_name", "Company name", LeadFieldType.Text, false),
                new NicheField("company_size", "Number of employees", LeadFieldType.Choice, false, ["1-10", "11-50", "51-250", "250+"]),
                new NicheField("industry", "Industry", LeadFieldType.Text, false),
                Budget("Monthly budget, RUB"),
                Timeframe(),
            ],
        },
        new Niche("travel", "Travel", Currency)
        {
            Description = "Travellers looking for package tours, beach and ski holidays, cruises and business trips.",
            DedupWindowDays = 14,
            DisputeWindowHours = 48,
            LeadExpiryDays = 7,
            MaxSharedBuyers = 4,
            HotThreshold = 70,
            WarmThreshold = 40,
            ConsentText = "I consent to the processing of my personal data under Federal Law No. 152-FZ and to being contacted by phone, messenger or email by travel agencies and tour operators partnering with this service with offers for my trip.",
            Fields =
            [
                new NicheField("destination", "Destination", LeadFieldType.Text, true),
                new NicheField("trip_type", "Trip type", LeadFieldType.Choice, false, ["beach", "sightseeing", "ski", "cruise", "business travel"]),
                new NicheField("travellers", "Number of travellers", LeadFieldType.Integer, true),
                new NicheField("nights", "Number of nights", LeadFieldType.Integer, false),
                Budget(),
                Timeframe(),
            ],
        },
    ];

    public static IReadOnlyList<Region> Regions()
    {
        var regions = new List<Region>();

        void Country(string code, string name, string nameRu) =>
            regions.Add(new Region(code, name, null) { NameRu = nameRu });

        void Sub(string parent, string code, string name, string? nameRu = null) =>
            regions.Add(new Region(code, name, parent) { NameRu = nameRu });

        // Countries first, so every subdivision's parent precedes it.
        Country("RU", "Russia", "Россия");
        Country("KZ", "Kazakhstan", "Казахстан");
        Country("BY", "Belarus", "Беларусь");
        Country("US", "United States", "США");
        Country("DE", "Germany", "Германия");
        Country("FR", "France", "Франция");
        Country("ES", "Spain", "Испания");
        Country("IT", "Italy", "Италия");
        Country("PL", "Poland", "Польша");
        Country("NL", "Netherlands", "Нидерланды");
        Country("AT", "Austria", "Австрия");
        Country("BE", "Belgium", "Бельгия");
        Country("CZ", "Czechia", "Чехия");
        Country("SE", "Sweden", "Швеция");
        Country("PT", "Portugal", "Португалия");
        Country("FI", "Finland", "Финляндия");
        Country("IE", "Ireland", "Ирландия");

        // Russian federal subjects (ISO 3166-2:RU).
        Sub("RU", "RU-MOW", "Moscow", "Москва");
        Sub("RU", "RU-SPE", "Saint Petersburg", "Санкт-Петербург");
        Sub("RU", "RU-MOS", "Moscow Oblast", "Московская область");
        Sub("RU", "RU-LEN", "Leningrad Oblast", "Ленинградская область");
        Sub("RU", "RU-MUR", "Murmansk Oblast", "Мурманская область");
        Sub("RU", "RU-KDA", "Krasnodar Krai", "Краснодарский край");
        Sub("RU", "RU-SVE", "Sverdlovsk Oblast", "Свердловская область");
        Sub("RU", "RU-NVS", "Novosibirsk Oblast", "Новосибирская область");
        Sub("RU", "RU-TA", "Republic of Tatarstan", "Республика Татарстан");
        Sub("RU", "RU-NIZ", "Nizhny Novgorod Oblast", "Нижегородская область");
        Sub("RU", "RU-SAM", "Samara Oblast", "Самарская область");
        Sub("RU", "RU-ROS", "Rostov Oblast", "Ростовская область");
        Sub("RU", "RU-BA", "Republic of Bashkortostan", "Республика Башкортостан");
        Sub("RU", "RU-CHE", "Chelyabinsk Oblast", "Челябинская область");
        Sub("RU", "RU-PER", "Perm Krai", "Пермский край");
        Sub("RU", "RU-VOR", "Voronezh Oblast", "Воронежская область");
        Sub("RU", "RU-KYA", "Krasnoyarsk Krai", "Красноярский край");
        Sub("RU", "RU-VGG", "Volgograd Oblast", "Волгоградская область");
        Sub("RU", "RU-IRK", "Irkutsk Oblast", "Иркутская область");
        Sub("RU", "RU-PRI", "Primorsky Krai", "Приморский край");
        Sub("RU", "RU-KGD", "Kaliningrad Oblast", "Калининградская область");
        Sub("RU", "RU-OMS", "Omsk Oblast", "Омская область");
        Sub("RU", "RU-TYU", "Tyumen Oblast", "Тюменская область");
        Sub("RU", "RU-KHA", "Khabarovsk Krai", "Хабаровский край");
        Sub("RU", "RU-SAR", "Saratov Oblast", "Саратовская область");
        Sub("RU", "RU-YAR", "Yaroslavl Oblast", "Ярославская область");
        Sub("RU", "RU-STA", "Stavropol Krai", "Ставропольский край");
        Sub("RU", "RU-TUL", "Tula Oblast", "Тульская область");
        Sub("RU", "RU-UD", "Udmurt Republic", "Удмуртская Республика");
        Sub("RU", "RU-KHM", "Khanty-Mansi Autonomous Okrug - Yugra", "Ханты-Мансийский автономный округ — Югра");

        // US states (ISO 3166-2:US).
        Sub("US", "US-CA", "California");
        Sub("US", "US-NY", "New York");
        Sub("US", "US-TX", "Texas");
        Sub("US", "US-FL", "Florida");
        Sub("US", "US-IL", "Illinois");
        Sub("US", "US-WA", "Washington");
        Sub("US", "US-MA", "Massachusetts");
        Sub("US", "US-GA", "Georgia");
        Sub("US", "US-PA", "Pennsylvania");
        Sub("US", "US-OH", "Ohio");
        Sub("US", "US-NJ", "New Jersey");
        Sub("US", "US-AZ", "Arizona");
        Sub("US", "US-CO", "Colorado");
        Sub("US", "US-NC", "North Carolina");
        Sub("US", "US-MI", "Michigan");
        Sub("US", "US-VA", "Virginia");

        // Germany (ISO 3166-2:DE).
        Sub("DE", "DE-BY", "Bavaria");
        Sub("DE", "DE-BE", "Berlin");
        Sub("DE", "DE-HH", "Hamburg");
        Sub("DE", "DE-NW", "North Rhine-Westphalia");
        Sub("DE", "DE-BW", "Baden-Württemberg");
        Sub("DE", "DE-HE", "Hesse");

        // France (ISO 3166-2:FR metropolitan regions).
        Sub("FR", "FR-IDF", "Île-de-France");
        Sub("FR", "FR-ARA", "Auvergne-Rhône-Alpes");
        Sub("FR", "FR-PAC", "Provence-Alpes-Côte d'Azur");

        // Spain (ISO 3166-2:ES autonomous communities).
        Sub("ES", "ES-MD", "Community of Madrid");
        Sub("ES", "ES-CT", "Catalonia");
        Sub("ES", "ES-AN", "Andalusia");

        // Italy (ISO 3166-2:IT regions).
        Sub("IT", "IT-25", "Lombardy");
        Sub("IT", "IT-62", "Lazio");

        // Poland (ISO 3166-2:PL voivodeships).
        Sub("PL", "PL-14", "Mazowieckie");
        Sub("PL", "PL-12", "Malopolskie");

        return regions;
    }
}
